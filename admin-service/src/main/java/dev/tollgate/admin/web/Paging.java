package dev.tollgate.admin.web;

/** Validated {@code page}/{@code size} query parameters. */
public record Paging(int page, int size) {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 200;

    public static Paging of(Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? DEFAULT_SIZE : size;
        if (p < 0) {
            throw ApiException.invalid("page", "must be 0 or more");
        }
        if (s < 1 || s > MAX_SIZE) {
            throw ApiException.invalid("size", "must be between 1 and " + MAX_SIZE);
        }
        return new Paging(p, s);
    }

    public long offset() {
        return (long) page * size;
    }

    public <T> Page<T> page(java.util.List<T> items, long total) {
        return new Page<>(items, page, size, total);
    }
}
