/** metrics.jsonl: one JSON object per logged step, appended, so a killed run keeps what it logged. */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

export class MetricsLog {
  readonly file: string;

  constructor(runDir: string) {
    this.file = join(runDir, 'metrics.jsonl');
  }

  append(record: MetricsRecord): void {
    appendFileSync(this.file, `${JSON.stringify(record)}\n`);
  }

  /** On resume: drop lines of steps after the checkpoint, which the resumed run logs again. */
  truncateAfter(step: number): void {
    if (!existsSync(this.file)) return;
    const kept = readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => {
        if (line.trim() === '') return false;
        try {
          return (JSON.parse(line) as MetricsRecord).step <= step;
        } catch {
          return false; // a line cut short by a kill
        }
      });
    writeFileSync(this.file, kept.map((line) => `${line}\n`).join(''));
  }

  read(): MetricsRecord[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as MetricsRecord);
  }
}
