package io.omnitest.checker.linear;

import java.util.List;

/**
 * The operations of one partition (one key, or the whole history for unpartitioned models).
 *
 * @param key the model's partition key, or null when the model does not partition
 * @param ops the partition's operations, ids dense from 0, in invocation order
 */
record Partition(Object key, List<Operation> ops) {}
