package io.aitrace.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The writer's bounded ring: first in, first out, never more than its capacity, every accepted item delivered. */
class MpscQueueTest {

    @Test
    void holdsExactlyItsCapacityEvenWhenThatIsNoPowerOfTwoAndTakesInOrder() {
        MpscQueue<Integer> queue = new MpscQueue<>(5);
        for (int i = 0; i < 5; i++) {
            assertThat(queue.offer(i)).isTrue();
        }
        assertThat(queue.offer(5)).as("a sixth item in a queue of 5").isFalse();
        assertThat(queue.size()).isEqualTo(5);
        assertThat(queue.poll()).isEqualTo(0);
        assertThat(queue.offer(5)).as("room again after one was taken").isTrue();
        List<Integer> rest = new ArrayList<>();
        for (Integer item = queue.poll(); item != null; item = queue.poll()) {
            rest.add(item);
        }
        assertThat(rest).containsExactly(1, 2, 3, 4, 5);
        assertThat(queue.size()).isZero();
        assertThat(queue.poll()).isNull();
    }

    @Test
    void wrapsAroundItsRingManyTimes() {
        MpscQueue<Integer> queue = new MpscQueue<>(3);
        for (int i = 0; i < 1_000; i++) {
            assertThat(queue.offer(i)).isTrue();
            assertThat(queue.offer(-i)).isTrue();
            assertThat(queue.poll()).isEqualTo(i);
            assertThat(queue.poll()).isEqualTo(-i);
        }
        assertThat(queue.size()).isZero();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost item fails the test, not hangs it
    void manyProducersLoseNothingAcceptedAndEachProducersItemsKeepTheirOrder() throws Exception {
        int producers = 4;
        int perProducer = 50_000;
        MpscQueue<long[]> queue = new MpscQueue<>(1_000); // small: producers find it full and retry
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    long[] item = {producer, i};
                    while (!queue.offer(item)) {
                        Thread.yield(); // two cores: let the consumer run
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        long[] next = new long[producers];
        long taken = 0;
        long maxSize = 0;
        List<String> outOfOrder = new ArrayList<>();
        while (taken < (long) producers * perProducer) {
            maxSize = Math.max(maxSize, queue.size());
            long[] item = queue.poll();
            if (item == null) {
                Thread.yield();
                continue;
            }
            if (item[1] != next[(int) item[0]] && outOfOrder.size() < 10) {
                outOfOrder.add("producer " + item[0] + ": " + item[1] + " where " + next[(int) item[0]] + " was due");
            }
            next[(int) item[0]]++;
            taken++;
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        assertThat(taken).as("items taken").isEqualTo((long) producers * perProducer);
        assertThat(outOfOrder).isEmpty();
        assertThat(next).containsOnly(perProducer);
        assertThat(queue.poll()).isNull();
        assertThat(maxSize).isLessThanOrEqualTo(1_000);
    }
}
