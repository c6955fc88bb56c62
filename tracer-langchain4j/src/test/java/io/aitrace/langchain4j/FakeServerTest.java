package io.aitrace.langchain4j;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fake OpenAI server and a traced run writing to a file, fresh for each test. */
abstract class FakeServerTest {
    @TempDir
    Path dir;
    FakeOpenAi server;
    TracedRun run;

    @BeforeEach
    void startServerAndTracer() throws Exception {
        server = new FakeOpenAi();
        run = new TracedRun(dir);
    }

    @AfterEach
    void stopServerAndTracer() {
        run.close();
        server.close();
    }
}
