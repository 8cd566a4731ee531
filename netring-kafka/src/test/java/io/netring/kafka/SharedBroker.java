package io.netring.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link LocalBroker} for all tests of a class: register it as a static
 * {@code @RegisterExtension} field; it starts before the first test and stops after the last.
 */
public final class SharedBroker implements BeforeAllCallback, AfterAllCallback {
    private LocalBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        broker = LocalBroker.start(null);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    /** The broker's {@code host:port}. */
    public String bootstrap() {
        return broker.bootstrap();
    }
}
