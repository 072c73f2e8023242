/** The signed-in API key, kept in localStorage so a reload keeps the session. */
const STORAGE_KEY = 'batchgraph.apiKey';

export function storedKey(): string | undefined {
  return localStorage.getItem(STORAGE_KEY) ?? undefined;
}

export function storeKey(key: string | undefined): void {
  if (key === undefined) localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, key);
}
