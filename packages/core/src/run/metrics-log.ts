/** metrics.jsonl: one JSON object per logged step, appended, so a killed run keeps what it logged. */
import { joinPath } from '../host/paths.js';
import type { Storage } from '../host/types.js';

export interface MetricsRecord {
  step: number;
  losses: Record<string, number>;
  lr: Record<string, number>;
  /** Images per second over the last logging interval (batch size × steps / seconds). */
  imgPerSec: number;
  /** Seconds of training so far, across resumes. */
  wallTime: number;
  epoch?: number;
  [extra: string]: unknown;
}

export const METRICS_FILE = 'metrics.jsonl';

export class MetricsLog {
  readonly file: string;

  constructor(
    private readonly storage: Storage,
    runDir: string,
  ) {
    this.file = joinPath(runDir, METRICS_FILE);
  }

  async append(record: MetricsRecord): Promise<void> {
    await this.storage.append(this.file, `${JSON.stringify(record)}\n`);
  }

  /** On resume: drop lines of steps after the checkpoint, which the resumed run logs again. */
  async truncateAfter(step: number): Promise<void> {
    if (!(await this.storage.exists(this.file))) return;
    const kept = (await this.storage.readText(this.file))
      .split('\n')
      .filter((line) => {
        if (line.trim() === '') return false;
        try {
          return (JSON.parse(line) as MetricsRecord).step <= step;
        } catch {
          return false; // a line cut short by a kill
        }
      });
    await this.storage.write(this.file, kept.map((line) => `${line}\n`).join(''));
  }

  async read(): Promise<MetricsRecord[]> {
    if (!(await this.storage.exists(this.file))) return [];
    return (await this.storage.readText(this.file))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as MetricsRecord);
  }
}
