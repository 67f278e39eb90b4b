package dev.mayfly.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Ends the JDK HTTP clients' selector threads before the CLI exits. Each {@code java.net.http.HttpClient} keeps a
 * thread ({@code HttpClient-N-SelectorManager}) parked in {@code epoll_wait}, i.e. in native code, and HotSpot's
 * exit path waits up to 300 ms for user threads in native code to come back ({@code VM_Exit::
 * wait_for_threads_in_native_to_block}): measured with {@code strace}, a {@code mayfly whoami} wrote its answer and
 * then spent 0.32 s exiting. Interrupting a selector thread wakes its {@code select} and ends its loop (public
 * API only; JDK 17 has no {@code HttpClient.close()}). Only called when the command is done and the process exits.
 */
final class HttpSelectorThreads {
    private static final Pattern NAME = Pattern.compile("HttpClient-\\d+-SelectorManager");
    private static final Duration JOIN = Duration.ofMillis(100);

    private HttpSelectorThreads() {
    }

    /** Interrupts every HTTP client selector thread and waits briefly for each to end; the ones it stopped. */
    static List<Thread> stopAll() {
        List<Thread> stopped = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (NAME.matcher(t.getName()).matches()) {
                t.interrupt();
                stopped.add(t);
            }
        }
        for (Thread t : stopped) {
            try {
                t.join(JOIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return stopped;
    }
}
