package org.hasm.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hasm.persistence.jdbc.JournalStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short runs against the real central system in this process, journals in an H2 file. */
class LoadTestLocalTest {
    @TempDir
    static Path dir;
    private static LocalTarget target;

    @BeforeAll
    static void start() {
        target = LocalTarget.start(JournalStore.h2(dir.resolve("data")));
    }

    @AfterAll
    static void stop() {
        target.close();
    }

    private static LoadGenerator generator(String prefix, int meters, int tamperEvery) {
        List<LoadMeter> fleet = Fleet.provision(meters, 5, prefix, target, done -> { });
        return new LoadGenerator(target, fleet, Pacer.SYSTEM, tamperEvery, Duration.ofSeconds(60));
    }

    @Test
    void everyFrameIsAcknowledgedCountedAndTimed() throws Exception {
        List<StageRecorder.Point> progress = new ArrayList<>();
        StageResult r = generator("ok-", 20, 0).run(Stage.open(0, 20, Duration.ofSeconds(2)), progress::add);

        assertEquals(40, r.sent());
        assertEquals(r.sent(), r.acknowledged(), "every frame acknowledged once persisted");
        assertEquals(r.sent(), r.readingsCounted(), "every reading kept by its meter's account");
        assertEquals(Map.of(), r.errors());
        assertEquals(r.sent(), r.responseTimes().getTotalCount());
        assertEquals(r.sent(), r.serviceTimes().getTotalCount());
        assertEquals(r.sent(), progress.stream().mapToLong(StageRecorder.Point::acknowledged).sum(),
                "the series adds up to the stage");

        Slo slo = Slo.parse("p99<10s");
        LoadTestReport.Summary summary = LoadTestReport.summarize("now", target.describe(), 20, slo, false, null, List.of(r));
        LoadTestReport.write(dir.resolve("report"), summary);
        JsonNode json = LoadTestReport.mapper().readTree(dir.resolve("report").resolve(LoadTestReport.JSON).toFile());
        JsonNode stage = json.get("stages").get(0);
        assertEquals(40, stage.get("sent").asLong());
        List<String> names = new ArrayList<>();
        stage.get("responseTimeMs").fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("p50", "p75", "p95", "p99", "p99.9", "max"), names);
        assertEquals(r.responseTimes().getMaxValue() / 1000.0, stage.get("responseTimeMs").get("max").asDouble());
        assertEquals(40, json.get("totals").get("readingsCounted").asLong());
        String html = Files.readString(dir.resolve("report").resolve(LoadTestReport.HTML));
        assertTrue(html.contains("uPlot") && !html.contains("@DATA@") && !html.contains("<script src"),
                "self-contained, data filled in");
    }

    @Test
    void theClosedModelSendsOnEachAcknowledgementAndLosesNothing() {
        StageResult r = generator("closed-", 10, 0).run(Stage.closed(0, 4, Duration.ofSeconds(1)), p -> { });

        assertTrue(r.sent() >= 4, "at least the first window went out: " + r.sent());
        assertEquals(r.sent(), r.acknowledged());
        assertEquals(r.sent(), r.readingsCounted());
        assertEquals(r.sent(), r.responseTimes().getTotalCount());
        assertEquals(r.sent(), r.serviceTimes().getTotalCount());
    }

    @Test
    void aTamperedFrameIsRefusedByTheAccountAndCountedUnderItsCause() {
        StageResult r = generator("tampered-", 20, 8).run(Stage.open(0, 20, Duration.ofSeconds(2)), p -> { });

        assertEquals(40, r.sent());
        assertEquals(5, r.tampered());
        assertEquals(r.sent(), r.acknowledged(), "a refused frame is acknowledged too, once its refusal is persisted");
        assertEquals(Map.of("BAD_TAG", r.tampered()), r.errors());
        assertEquals(r.sent() - r.tampered(), r.readingsCounted(), "the frames after a tampered one still count");
    }
}
