/** Wall time and memory per engine stage, for the build log and `npm run bench`. */

export interface StageTiming {
  stage: string;
  ms: number;
  /** Resident memory of the process when the stage ended, in MiB. */
  rssMiB: number;
}

/** Times stages in order; each is logged as it ends. */
export class Stages {
  readonly timings: StageTiming[] = [];

  constructor(private readonly log: (line: string) => void = () => {}) {}

  /** Runs fn as the stage `stage` and records how long it took. */
  async time<T>(stage: string, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    const result = await fn();
    const timing = {
      stage,
      ms: performance.now() - start,
      rssMiB: process.memoryUsage().rss / 2 ** 20
    };
    this.timings.push(timing);
    this.log(`stage ${stage}: ${(timing.ms / 1000).toFixed(1)} s`);
    return result;
  }
}
