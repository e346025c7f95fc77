package org.hasm.loadtest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Drives a {@link CentralTarget} with real meters' frames, one stage at a time, on the caller's thread (its
 * own, never an actor's). Meters take turns, so each meter's frames go out in counter order through one
 * sender, the order the central system's anti-replay check needs.
 *
 * <p>Open model: the intended send time of frame k is {@code start + k / rate}, fixed before the stage starts;
 * frames go out on {@link #TICK_NANOS} ticks, and a frame sent late still counts from its intended time. Closed
 * model: a frame goes out whenever one of the {@code concurrency} permits is free, intended = sent.
 */
public final class LoadGenerator {
    static final long SAMPLE_NANOS = 1_000_000_000L;
    /**
     * Open model: the generator wakes at most once a millisecond and sends the frames due by then, rather than
     * once per frame. A wake-up per frame, on the cores the system under test uses too, cost about a tenth of
     * the process's CPU at 8,000 frames/s; a frame sent up to a tick late still counts from its intended time.
     */
    static final long TICK_NANOS = 1_000_000L;

    private final CentralTarget target;
    private final List<LoadMeter> meters;
    private final Pacer pacer;
    private final int tamperEvery;
    private final Duration drainTimeout;
    private final long origin;
    private volatile StageRecorder current;
    private long deliveries;
    private long frames;
    private long tampered;
    private CentralTarget.Tally counted = new CentralTarget.Tally(0, Map.of());

    /**
     * @param tamperEvery  every this-many-th frame has a bit flipped after sealing (0: none)
     * @param drainTimeout how long a stage waits after its last send for the acknowledgements still due
     */
    public LoadGenerator(CentralTarget target, List<LoadMeter> meters, Pacer pacer, int tamperEvery, Duration drainTimeout) {
        if (meters.isEmpty()) {
            throw new IllegalArgumentException("a load test needs at least one meter");
        }
        this.target = target;
        this.meters = List.copyOf(meters);
        this.pacer = pacer;
        this.tamperEvery = tamperEvery;
        this.drainTimeout = drainTimeout;
        this.origin = pacer.nanoTime();
        target.onAcknowledgement(id -> {
            StageRecorder r = current;
            if (r != null) {
                r.acknowledged(id);
            }
        });
    }

    /** Runs one stage to its end and until its acknowledgements are in (or the drain timeout passed). */
    public StageResult run(Stage stage, Consumer<StageRecorder.Point> progress) {
        Semaphore permits = new Semaphore(stage.model() == Stage.Model.CLOSED ? stage.concurrency() : 0);
        StageRecorder recorder = new StageRecorder(pacer, origin, stage.index(), permits::release);
        current = recorder;
        long framesBefore = frames;
        long tamperedBefore = tampered;
        long start = pacer.nanoTime();
        long[] nextSample = {start + SAMPLE_NANOS};
        Runnable sampleIfDue = () -> {
            long now = pacer.nanoTime();
            if (now >= nextSample[0]) {
                progress.accept(recorder.sample());
                nextSample[0] = Math.max(nextSample[0] + SAMPLE_NANOS, now);
            }
        };
        long end = start + stage.duration().toNanos();
        if (stage.model() == Stage.Model.OPEN) {
            long n = Math.max(1, Math.round(stage.rate() * stage.duration().toNanos() / 1e9));
            double gap = 1e9 / stage.rate();
            for (long k = 0; k < n; k++) {
                long intended = start + Math.round(k * gap);
                // wake on the tick at or after the intended time, then send everything due by then
                long tick = start + (intended - start + TICK_NANOS - 1) / TICK_NANOS * TICK_NANOS;
                for (long now = pacer.nanoTime(); now < intended; now = pacer.nanoTime()) {
                    sampleIfDue.run();
                    pacer.awaitUntil(Math.min(tick, nextSample[0]));
                }
                sampleIfDue.run();
                send(recorder, intended);
            }
        } else {
            try {
                for (long now = pacer.nanoTime(); now < end; now = pacer.nanoTime()) {
                    sampleIfDue.run();
                    long wait = Math.min(end - now, nextSample[0] - now);
                    if (permits.tryAcquire(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
                        send(recorder, pacer.nanoTime());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long sent = frames - framesBefore;
        recorder.sendingDone(sent);
        drain(recorder, sampleIfDue, nextSample);
        current = null;
        double seconds = (pacer.nanoTime() - start) / 1e9;
        progress.accept(recorder.sample());
        long acknowledged = recorder.acknowledged();

        CentralTarget.Tally now = target.tally(meters.subList(0, (int) Math.min(meters.size(), frames)).stream()
                .map(LoadMeter::meterId).toList());
        Map<String, Long> errors = errors(now, sent, acknowledged);
        long readings = now.readings() - counted.readings();
        counted = now;
        return new StageResult(stage, sent, tampered - tamperedBefore, acknowledged, readings, errors,
                recorder.responseTimes(), recorder.serviceTimes(), recorder.series(), seconds);
    }

    /** Waits up to the drain timeout for the acknowledgements still due, sampling on the way. */
    private void drain(StageRecorder recorder, Runnable sampleIfDue, long[] nextSample) {
        long drainEnd = pacer.nanoTime() + drainTimeout.toNanos();
        while (!recorder.allAcknowledged().isDone() && pacer.nanoTime() < drainEnd) {
            sampleIfDue.run();
            try {
                recorder.allAcknowledged().get(Math.max(1, Math.min(drainEnd, nextSample[0]) - pacer.nanoTime()),
                        TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // sample, then wait on
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /** The stage's refusals by cause (counted from the last stage on) and the frames never acknowledged. */
    private Map<String, Long> errors(CentralTarget.Tally now, long sent, long acknowledged) {
        Map<String, Long> errors = new TreeMap<>();
        now.refusals().forEach((cause, n) -> {
            long delta = n - counted.refusals().getOrDefault(cause, 0L);
            if (delta > 0) {
                errors.put(cause, delta);
            }
        });
        if (acknowledged < sent) {
            errors.put(StageResult.NO_ACKNOWLEDGEMENT, sent - acknowledged);
        }
        return errors;
    }


    private void send(StageRecorder recorder, long intended) {
        LoadMeter meter = meters.get((int) (frames % meters.size()));
        frames++;
        boolean tamper = tamperEvery > 0 && frames % tamperEvery == 0;
        if (tamper) {
            tampered++;
        }
        byte[] frame = meter.nextReading(tamper);
        long id = ++deliveries;
        recorder.sent(id, intended, pacer.nanoTime());
        target.deliver(id, meter.meterId(), frame);
    }
}
