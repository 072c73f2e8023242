/**
 * A small stale-while-revalidate cache: fresh entries are served as they are, stale ones are
 * served while one background load refreshes them, and concurrent misses share one load. It
 * keeps list pages cheap when each item needs a Temporal call.
 */
export class SwrCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  private readonly loading = new Map<string, Promise<V>>();
  /** Bumped by delete(): a load that started before it must not store what it read. */
  private generation = 0;

  /**
   * @param freshMs entries younger than this are served without a load
   * @param maxStaleMs entries older than this are not served at all: the caller waits for a load
   */
  constructor(
    private readonly freshMs: number,
    private readonly maxStaleMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly maxEntries = 50_000,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    const age = entry === undefined ? Infinity : Date.now() - entry.at;
    if (entry !== undefined && age <= this.maxStaleMs) {
      if (age > this.freshMs) this.refresh(key, load).catch(this.onError);
      return entry.value;
    }
    return this.refresh(key, load);
  }

  set(key: string, value: V): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, at: Date.now() });
  }

  delete(key: string): void {
    this.generation++;
    this.entries.delete(key);
    this.loading.delete(key);
  }

  private refresh(key: string, load: () => Promise<V>): Promise<V> {
    const pending = this.loading.get(key);
    if (pending !== undefined) return pending;
    const generation = this.generation;
    const promise = load()
      .then((value) => {
        if (generation === this.generation) this.set(key, value);
        return value;
      })
      .finally(() => {
        if (this.loading.get(key) === promise) this.loading.delete(key);
      });
    this.loading.set(key, promise);
    return promise;
  }
}
