/// <reference lib="dom" />
/**
 * A memory Storage mirrored to IndexedDB: every file a run writes (checkpoints, metrics, exported models)
 * is also put in the database, and `indexedDbStorage` loads them all back, so a reloaded page can resume a
 * run or sample its generator. Each change is one transaction; a checkpoint's files land before its
 * manifest (the engine writes the manifest last), so a reload never sees half a checkpoint as complete.
 */
import { memoryStorage, type MemoryStorage } from './memory-storage.js';

const STORE = 'files';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function open(name: string): Promise<IDBDatabase> {
  const req = indexedDB.open(name, 1);
  req.onupgradeneeded = () => req.result.createObjectStore(STORE);
  return request(req);
}

export async function indexedDbStorage(name = 'ganforge', cwd = '/'): Promise<MemoryStorage & { close(): void }> {
  const db = await open(name);
  const read = db.transaction(STORE, 'readonly').objectStore(STORE);
  const [keys, values] = await Promise.all([request(read.getAllKeys()), request(read.getAll())]);
  const initial = keys.map((key, i) => [String(key), new Uint8Array(values[i] as ArrayBuffer)] as [string, Uint8Array]);
  const storage = memoryStorage(cwd, initial, (changes) => {
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    for (const [path, data] of changes) {
      if (data) store.put(data.slice().buffer, path);
      else store.delete(path);
    }
    return new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  });
  return Object.assign(storage, { close: () => db.close() });
}
