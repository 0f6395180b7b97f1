"""The transparency log's storage (tree nodes, checkpoints, cosignatures, alarms) and keys."""
