package dev.lakehouse.env;

/** One resolved setting of an environment and where its value came from, for {@code env show}. */
public record Setting(String name, Object value, String source) {
}
