package io.netring.filter;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The post-order of a program graph whose nodes have at most two successors (a test's true and
 * false branch; null where there is none): every node after all nodes it reaches. Iterative,
 * because a long expression makes a graph deep enough to exhaust the stack of a recursive walk.
 */
final class PostOrder {
    private PostOrder() {}

    static <T> List<T> of(T root, UnaryOperator<T> whenTrue, UnaryOperator<T> whenFalse) {
        List<T> post = new ArrayList<>();
        Map<T, Boolean> seen = new IdentityHashMap<>();
        List<T> stack = new ArrayList<>();
        List<Integer> successorsDone = new ArrayList<>();
        stack.add(root);
        successorsDone.add(0);
        seen.put(root, true);
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            T n = stack.get(top);
            int done = successorsDone.get(top);
            if (done >= 2) {
                stack.remove(top);
                successorsDone.remove(top);
                post.add(n);
                continue;
            }
            successorsDone.set(top, done + 1);
            T next = done == 0 ? whenTrue.apply(n) : whenFalse.apply(n);
            if (next != null && seen.put(next, true) == null) {
                stack.add(next);
                successorsDone.add(0);
            }
        }
        return post;
    }
}
