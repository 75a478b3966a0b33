package redteam.packs.parallel;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Red team: Stream.parallel and parallelStream are denied, but StreamSupport.stream(.., true) runs on the common pool. */
public final class ParallelLogic {
    public static List<String> threads(List<Integer> work) {
        return StreamSupport.stream(work.spliterator(), true)
                .map(i -> String.valueOf(i))
                .collect(Collectors.toList());
    }
}
