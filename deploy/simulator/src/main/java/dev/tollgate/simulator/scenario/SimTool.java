package dev.tollgate.simulator.scenario;

import tools.jackson.databind.JsonNode;

/** A declared tool: its name and JSON schema (a missing node when the caller gave none). */
public record SimTool(String name, JsonNode schema) {
}
