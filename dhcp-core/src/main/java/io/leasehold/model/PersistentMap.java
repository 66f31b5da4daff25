package io.leasehold.model;

import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable hash map whose updates share structure with the map they came from: a hash array
 * mapped trie in the compressed (CHAMP) layout. {@link #plus} and {@link #minus} copy only the
 * nodes on one root-to-leaf path, at most seven nodes of up to 32 slots, so changing one entry of a
 * 100,000-entry map costs a few hundred bytes and O(log32 n) time, and the old map stays valid.
 *
 * <p>This is what lets a network snapshot take one reservation change without rebuilding: the
 * packet path keeps reading the old snapshot while the new one is made, and then sees the new one
 * after an atomic swap.
 *
 * <p>Layout: each node has a bitmap of slots holding entries ({@code dataMap}) and one of slots
 * holding sub-nodes ({@code nodeMap}); entries are packed from the front of the node's array as
 * key/value pairs, sub-nodes from the back. Keys whose 32-bit hashes are equal end up in a
 * collision node. Null keys and values are not allowed.
 *
 * @param <K> key type, with consistent {@code equals}/{@code hashCode}
 * @param <V> value type
 */
public final class PersistentMap<K, V> implements Iterable<Map.Entry<K, V>> {

    private static final int BITS = 5;
    private static final int HASH_BITS = 32;

    private static final PersistentMap<?, ?> EMPTY = new PersistentMap<>(BitmapNode.EMPTY, 0);

    private final Node root;
    private final int size;

    private PersistentMap(Node root, int size) {
        this.root = root;
        this.size = size;
    }

    /** The empty map. */
    @SuppressWarnings("unchecked")
    public static <K, V> PersistentMap<K, V> empty() {
        return (PersistentMap<K, V>) EMPTY;
    }

    /** A map of the entries of {@code map}. */
    public static <K, V> PersistentMap<K, V> copyOf(Map<? extends K, ? extends V> map) {
        PersistentMap<K, V> m = empty();
        for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
            m = m.plus(e.getKey(), e.getValue());
        }
        return m;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The value of {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        Objects.requireNonNull(key, "key");
        return (V) root.find(key, hash(key), 0);
    }

    /** The value of {@code key}, or {@code absent}. */
    public V getOrDefault(Object key, V absent) {
        V v = get(key);
        return v != null ? v : absent;
    }

    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    /** This map with {@code key} mapped to {@code value}; this map itself when nothing changes. */
    public PersistentMap<K, V> plus(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Change change = new Change();
        Node newRoot = root.update(key, value, hash(key), 0, change);
        if (newRoot == root) {
            return this;
        }
        return new PersistentMap<>(newRoot, change.added ? size + 1 : size);
    }

    /** This map without {@code key}; this map itself when the key is absent. */
    public PersistentMap<K, V> minus(Object key) {
        Objects.requireNonNull(key, "key");
        Change change = new Change();
        Node newRoot = root.remove(key, hash(key), 0, change);
        if (!change.removed) {
            return this;
        }
        return new PersistentMap<>(newRoot, size - 1);
    }

    /** Calls {@code action} for every entry, in no particular order. */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        root.forEach((BiConsumer<Object, Object>) action);
    }

    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return new EntryIterator<>(root);
    }

    /** A copy as a {@link java.util.HashMap}, for tests and tools. */
    public Map<K, V> toMap() {
        Map<K, V> m = new java.util.HashMap<>();
        forEach(m::put);
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(v));
        return sb.append('}').toString();
    }

    /** The spread hash: the high bits are mixed in so that the first trie levels use them too. */
    private static int hash(Object key) {
        int h = key.hashCode();
        return h ^ (h >>> 16);
    }

    private static int mask(int hash, int shift) {
        return (hash >>> shift) & 31;
    }

    private static int bit(int mask) {
        return 1 << mask;
    }

    /** What an update did, so the map knows its new size. */
    private static final class Change {
        boolean added;
        boolean removed;
    }

    private abstract static class Node {
        abstract Object find(Object key, int hash, int shift);

        abstract Node update(Object key, Object value, int hash, int shift, Change change);

        abstract Node remove(Object key, int hash, int shift, Change change);

        /** True when the node holds exactly one entry and no sub-node: its parent inlines it. */
        abstract boolean isSingleEntry();

        abstract Object singleKey();

        abstract Object singleValue();

        abstract void forEach(BiConsumer<Object, Object> action);

        abstract int payloadArity();

        abstract Object keyAt(int i);

        abstract Object valueAt(int i);

        abstract int nodeArity();

        abstract Node nodeAt(int i);
    }

    private static final class BitmapNode extends Node {
        static final BitmapNode EMPTY = new BitmapNode(0, 0, new Object[0]);

        final int dataMap;
        final int nodeMap;
        final Object[] content;

        BitmapNode(int dataMap, int nodeMap, Object[] content) {
            this.dataMap = dataMap;
            this.nodeMap = nodeMap;
            this.content = content;
        }

        private int dataIndex(int bit) {
            return Integer.bitCount(dataMap & (bit - 1));
        }

        private int nodeIndex(int bit) {
            return Integer.bitCount(nodeMap & (bit - 1));
        }

        private Node node(int bit) {
            return (Node) content[content.length - 1 - nodeIndex(bit)];
        }

        @Override
        Object find(Object key, int hash, int shift) {
            int bit = bit(mask(hash, shift));
            if ((dataMap & bit) != 0) {
                int i = dataIndex(bit);
                return key.equals(content[2 * i]) ? content[2 * i + 1] : null;
            }
            if ((nodeMap & bit) != 0) {
                return node(bit).find(key, hash, shift + BITS);
            }
            return null;
        }

        @Override
        Node update(Object key, Object value, int hash, int shift, Change change) {
            int bit = bit(mask(hash, shift));
            if ((dataMap & bit) != 0) {
                int i = dataIndex(bit);
                Object k0 = content[2 * i];
                if (key.equals(k0)) {
                    if (value.equals(content[2 * i + 1])) {
                        return this;
                    }
                    Object[] c = content.clone();
                    c[2 * i + 1] = value;
                    return new BitmapNode(dataMap, nodeMap, c);
                }
                change.added = true;
                Node sub = merge(k0, content[2 * i + 1], hash(k0), key, value, hash, shift + BITS);
                return withEntryMovedToNode(bit, sub);
            }
            if ((nodeMap & bit) != 0) {
                Node sub = node(bit);
                Node newSub = sub.update(key, value, hash, shift + BITS, change);
                return newSub == sub ? this : withNode(bit, newSub);
            }
            change.added = true;
            return withEntryInserted(bit, key, value);
        }

        @Override
        Node remove(Object key, int hash, int shift, Change change) {
            int bit = bit(mask(hash, shift));
            if ((dataMap & bit) != 0) {
                int i = dataIndex(bit);
                if (!key.equals(content[2 * i])) {
                    return this;
                }
                change.removed = true;
                if (shift > 0 && Integer.bitCount(dataMap) == 2 && nodeMap == 0) {
                    // Two entries left one: the parent will inline the survivor, so keep it as a
                    // single-entry node (its slot in this node no longer matters).
                    int other = dataMap ^ bit;
                    int j = i == 0 ? 1 : 0;
                    return new BitmapNode(other, 0, new Object[] {content[2 * j], content[2 * j + 1]});
                }
                return withEntryRemoved(bit);
            }
            if ((nodeMap & bit) != 0) {
                Node sub = node(bit);
                Node newSub = sub.remove(key, hash, shift + BITS, change);
                if (newSub == sub) {
                    return this;
                }
                if (newSub.isSingleEntry()) {
                    if (dataMap == 0 && Integer.bitCount(nodeMap) == 1 && shift > 0) {
                        return newSub;  // this node would hold only it: let it climb further
                    }
                    return withNodeMovedToEntry(bit, newSub.singleKey(), newSub.singleValue());
                }
                return withNode(bit, newSub);
            }
            return this;
        }

        private static Node merge(Object k0, Object v0, int h0, Object k1, Object v1, int h1, int shift) {
            if (shift >= HASH_BITS) {
                return new CollisionNode(h0, new Object[] {k0, k1}, new Object[] {v0, v1});
            }
            int m0 = mask(h0, shift);
            int m1 = mask(h1, shift);
            if (m0 != m1) {
                Object[] c = m0 < m1 ? new Object[] {k0, v0, k1, v1} : new Object[] {k1, v1, k0, v0};
                return new BitmapNode(bit(m0) | bit(m1), 0, c);
            }
            Node sub = merge(k0, v0, h0, k1, v1, h1, shift + BITS);
            return new BitmapNode(0, bit(m0), new Object[] {sub});
        }

        private BitmapNode withEntryInserted(int bit, Object key, Object value) {
            int at = 2 * dataIndex(bit);
            Object[] c = new Object[content.length + 2];
            System.arraycopy(content, 0, c, 0, at);
            c[at] = key;
            c[at + 1] = value;
            System.arraycopy(content, at, c, at + 2, content.length - at);
            return new BitmapNode(dataMap | bit, nodeMap, c);
        }

        private BitmapNode withEntryRemoved(int bit) {
            int at = 2 * dataIndex(bit);
            Object[] c = new Object[content.length - 2];
            System.arraycopy(content, 0, c, 0, at);
            System.arraycopy(content, at + 2, c, at, content.length - at - 2);
            return new BitmapNode(dataMap ^ bit, nodeMap, c);
        }

        private BitmapNode withNode(int bit, Node node) {
            Object[] c = content.clone();
            c[content.length - 1 - nodeIndex(bit)] = node;
            return new BitmapNode(dataMap, nodeMap, c);
        }

        private BitmapNode withEntryMovedToNode(int bit, Node node) {
            int from = 2 * dataIndex(bit);
            int to = content.length - 2 - nodeIndex(bit);  // index in the new, one-shorter array
            Object[] c = new Object[content.length - 1];
            System.arraycopy(content, 0, c, 0, from);
            System.arraycopy(content, from + 2, c, from, to - from);
            c[to] = node;
            System.arraycopy(content, to + 2, c, to + 1, content.length - to - 2);
            return new BitmapNode(dataMap ^ bit, nodeMap | bit, c);
        }

        private BitmapNode withNodeMovedToEntry(int bit, Object key, Object value) {
            int from = content.length - 1 - nodeIndex(bit);
            int to = 2 * dataIndex(bit);
            Object[] c = new Object[content.length + 1];
            System.arraycopy(content, 0, c, 0, to);
            c[to] = key;
            c[to + 1] = value;
            System.arraycopy(content, to, c, to + 2, from - to);
            System.arraycopy(content, from + 1, c, from + 2, content.length - from - 1);
            return new BitmapNode(dataMap | bit, nodeMap ^ bit, c);
        }

        @Override
        boolean isSingleEntry() {
            return nodeMap == 0 && Integer.bitCount(dataMap) == 1;
        }

        @Override
        Object singleKey() {
            return content[0];
        }

        @Override
        Object singleValue() {
            return content[1];
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            int entries = Integer.bitCount(dataMap);
            for (int i = 0; i < entries; i++) {
                action.accept(content[2 * i], content[2 * i + 1]);
            }
            for (int i = 2 * entries; i < content.length; i++) {
                ((Node) content[i]).forEach(action);
            }
        }

        @Override
        int payloadArity() {
            return Integer.bitCount(dataMap);
        }

        @Override
        Object keyAt(int i) {
            return content[2 * i];
        }

        @Override
        Object valueAt(int i) {
            return content[2 * i + 1];
        }

        @Override
        int nodeArity() {
            return Integer.bitCount(nodeMap);
        }

        @Override
        Node nodeAt(int i) {
            return (Node) content[2 * payloadArity() + i];
        }
    }

    /** Keys whose full 32-bit hashes are equal: a short list, searched linearly. */
    private static final class CollisionNode extends Node {
        final int hash;
        final Object[] keys;
        final Object[] values;

        CollisionNode(int hash, Object[] keys, Object[] values) {
            this.hash = hash;
            this.keys = keys;
            this.values = values;
        }

        private int indexOf(Object key) {
            for (int i = 0; i < keys.length; i++) {
                if (key.equals(keys[i])) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        Object find(Object key, int hash, int shift) {
            int i = this.hash == hash ? indexOf(key) : -1;
            return i < 0 ? null : values[i];
        }

        @Override
        Node update(Object key, Object value, int hash, int shift, Change change) {
            int i = indexOf(key);
            if (i >= 0) {
                if (value.equals(values[i])) {
                    return this;
                }
                Object[] v = values.clone();
                v[i] = value;
                return new CollisionNode(hash, keys, v);
            }
            change.added = true;
            Object[] k = Arrays.copyOf(keys, keys.length + 1);
            Object[] v = Arrays.copyOf(values, values.length + 1);
            k[keys.length] = key;
            v[values.length] = value;
            return new CollisionNode(hash, k, v);
        }

        @Override
        Node remove(Object key, int hash, int shift, Change change) {
            int i = indexOf(key);
            if (i < 0) {
                return this;
            }
            change.removed = true;
            Object[] k = new Object[keys.length - 1];
            Object[] v = new Object[values.length - 1];
            System.arraycopy(keys, 0, k, 0, i);
            System.arraycopy(keys, i + 1, k, i, keys.length - i - 1);
            System.arraycopy(values, 0, v, 0, i);
            System.arraycopy(values, i + 1, v, i, values.length - i - 1);
            return new CollisionNode(this.hash, k, v);
        }

        @Override
        boolean isSingleEntry() {
            return keys.length == 1;
        }

        @Override
        Object singleKey() {
            return keys[0];
        }

        @Override
        Object singleValue() {
            return values[0];
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            for (int i = 0; i < keys.length; i++) {
                action.accept(keys[i], values[i]);
            }
        }

        @Override
        int payloadArity() {
            return keys.length;
        }

        @Override
        Object keyAt(int i) {
            return keys[i];
        }

        @Override
        Object valueAt(int i) {
            return values[i];
        }

        @Override
        int nodeArity() {
            return 0;
        }

        @Override
        Node nodeAt(int i) {
            throw new IndexOutOfBoundsException("a collision node has no sub-nodes");
        }
    }

    /** Depth-first over the trie with an explicit stack: entries of a node, then its sub-nodes. */
    private static final class EntryIterator<K, V> implements Iterator<Map.Entry<K, V>> {
        private final Deque<Node> pending = new ArrayDeque<>();
        private Node current;
        private int entry;

        EntryIterator(Node root) {
            current = root;
            pushChildren(root);
            advance();
        }

        private void pushChildren(Node n) {
            for (int i = n.nodeArity() - 1; i >= 0; i--) {
                pending.push(n.nodeAt(i));
            }
        }

        private void advance() {
            while (current != null && entry >= current.payloadArity()) {
                current = pending.poll();
                entry = 0;
                if (current != null) {
                    pushChildren(current);
                }
            }
        }

        @Override
        public boolean hasNext() {
            return current != null;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map.Entry<K, V> next() {
            if (current == null) {
                throw new NoSuchElementException();
            }
            Map.Entry<K, V> e = new AbstractMap.SimpleImmutableEntry<>((K) current.keyAt(entry), (V) current.valueAt(entry));
            entry++;
            advance();
            return e;
        }
    }
}
