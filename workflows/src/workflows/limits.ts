/**
 * Bounds that keep a run inside Temporal's limits whatever the plan's size. Changing one changes
 * the commands a running workflow emits: do it behind `patched()` (see README.md).
 */

/** Temporal refuses more than 2,000 pending activities per workflow; stay well below. */
export const MAX_PENDING_ACTIVITIES = 1900;

/** The job schema's ceiling on settings.maxParallel. */
export const MAX_PARALLEL_TASKS = 1000;

/** Continue as new once the history is this long, even if the server has not suggested it yet. */
export const HISTORY_EVENTS_BEFORE_CONTINUE = 10_000;

/** A plan bigger than this continues as new by reference (RunInput.planRef), not inline. */
export const PLAN_INLINE_BYTES = 256 * 1024;

/** Items per foreach chunk activity, and the JSON size a chunk's items may reach. */
export const FOREACH_CHUNK_ITEMS = 500;
export const FOREACH_CHUNK_BYTES = 512 * 1024;

/** Chunk activities of one foreach task running at once (before the pending-activity budget). */
export const FOREACH_PARALLEL_CHUNKS = 4;

/** Item failures a foreach task keeps for its error message and output. */
export const FOREACH_FAILURES_KEPT = 10;

/** Runs from before the claim-check hold outputs inline, so they keep its 256 KB cap. */
export const LEGACY_INLINE_OUTPUT_BYTES = 256 * 1024;

/**
 * An attempt whose worker sent no heartbeat for this long has lost its worker. Workers heartbeat
 * every second, throttled to at most every 3 s (worker-options.ts), so 10 s leaves room for a
 * busy event loop while a lost worker is still noticed within 15 s (DESIGN.md, "Worker loss").
 */
export const HEARTBEAT_TIMEOUT_MS = 10 * 1000;
