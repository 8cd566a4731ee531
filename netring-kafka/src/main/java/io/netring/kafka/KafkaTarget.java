package io.netring.kafka;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A topic on a Kafka cluster named as {@code kafka://HOST:PORT[,HOST:PORT...]/TOPIC} (or
 * {@code HOST:PORT/TOPIC} without the scheme), as the {@code netring} command takes it.
 *
 * @param bootstrapServers the {@code bootstrap.servers} list, e.g. {@code localhost:9092}
 * @param topic            the topic name
 * @param follow           {@code ?follow} was given: a reader keeps waiting for new records
 *                         instead of stopping at the end the topic had when it opened
 */
public record KafkaTarget(String bootstrapServers, String topic, boolean follow) {
    public static final String SCHEME = "kafka://";

    /**
     * True when {@code text} starts with {@code kafka://}, or with {@code kafka:/} as a
     * {@code java.nio.file.Path} made from such a URL prints it (it folds the double slash).
     */
    public static boolean isKafka(String text) {
        return text != null && text.startsWith("kafka:/");
    }

    /**
     * Parses {@code kafka://HOST:PORT/TOPIC[?follow]} or {@code HOST:PORT/TOPIC[?follow]}.
     * @throws IllegalArgumentException naming the text and what is missing
     */
    public static KafkaTarget parse(String text) {
        String rest = text.startsWith(SCHEME) ? text.substring(SCHEME.length())
                : text.startsWith("kafka:/") ? text.substring("kafka:/".length()) : text;
        boolean follow = false;
        int q = rest.indexOf('?');
        if (q >= 0) {
            String query = rest.substring(q + 1);
            if (!query.equals("follow")) {
                throw new IllegalArgumentException(text + ": unknown option '" + query + "' (only ?follow)");
            }
            follow = true;
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException(text + ": expected kafka://HOST:PORT/TOPIC");
        }
        String servers = rest.substring(0, slash);
        String topic = rest.substring(slash + 1);
        for (String server : servers.split(",")) {
            try {
                URI u = new URI("kafka://" + server);
                if (u.getHost() == null || u.getPort() < 1) {
                    throw new IllegalArgumentException(text + ": '" + server + "' is not HOST:PORT");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(text + ": '" + server + "' is not HOST:PORT", e);
            }
        }
        if (!topic.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException(text + ": topic '" + topic + "' must be 1 to 249 of [a-zA-Z0-9._-]");
        }
        return new KafkaTarget(servers, topic, follow);
    }

    @Override
    public String toString() {
        return SCHEME + bootstrapServers + "/" + topic + (follow ? "?follow" : "");
    }
}
