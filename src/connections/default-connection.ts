/** The name of the IOP_* receiver (the one-connection shortcut) in lanes, statuses, metrics and search attributes. */
export const DEFAULT_CONNECTION = 'default';
