package io.datahop.index;

/**
 * What {@link BTree#verify()} walked.
 *
 * @param nodes nodes visited (branches and leaves)
 * @param leaves leaves visited
 * @param keys keys in the leaves
 * @param bytes encoded bytes of the stored nodes visited
 * @param depth levels, 1 for a single leaf
 * @param dirtyNodes nodes not stored yet (in memory only)
 */
public record VerifyReport(long nodes, long leaves, long keys, long bytes, int depth, long dirtyNodes) {}
