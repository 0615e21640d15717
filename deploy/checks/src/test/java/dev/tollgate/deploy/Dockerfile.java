package dev.tollgate.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Dockerfile read as instructions (continuations joined, comments dropped), split into build stages. */
record Dockerfile(List<Stage> stages) {

    /** One instruction: keyword upper-cased, arguments as written. */
    record Instruction(String keyword, String args) {
    }

    record Stage(String from, String name, List<Instruction> instructions) {

        List<String> args(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
        }
    }

    static Dockerfile parse(String text) {
        List<Instruction> all = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String raw : text.lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && cur.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                cur.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            cur.append(line);
            String ins = cur.toString().strip();
            cur.setLength(0);
            if (ins.isEmpty()) {
                continue;
            }
            int sp = ins.indexOf(' ');
            all.add(new Instruction(ins.substring(0, sp).toUpperCase(Locale.ROOT), ins.substring(sp + 1).strip()));
        }
        List<Stage> stages = new ArrayList<>();
        for (Instruction i : all) {
            if (i.keyword().equals("FROM")) {
                String[] p = i.args().split("\\s+");
                String name = p.length >= 3 && p[1].equalsIgnoreCase("AS") ? p[2] : null;
                stages.add(new Stage(p[0], name, new ArrayList<>()));
            } else if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).instructions().add(i);
            }
        }
        return new Dockerfile(stages);
    }

    Stage runtime() {
        return stages.get(stages.size() - 1);
    }

    /** The stage named {@code build} (the Maven one; an image may build other parts, such as the web UI, first). */
    Stage build() {
        return stage("build");
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no stage named " + name));
    }
}
