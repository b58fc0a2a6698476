/**
 * Ranking quality of anomaly scores: AUROC (Mann–Whitney U with average ranks for ties) and average
 * precision (scikit-learn's definition: Σ (R_k − R_{k−1}) P_k over distinct thresholds, high score = positive).
 */

/** Area under the ROC curve: the chance a random positive scores above a random negative (ties count half). */
export function auroc(positives: Float32Array, negatives: Float32Array): number {
  const all = [...Array.from(positives, (s) => [s, 1] as const), ...Array.from(negatives, (s) => [s, 0] as const)].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]![0] === all[i]![0]) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k]![1] === 1) rankSum += averageRank;
    i = j;
  }
  const p = positives.length;
  const n = negatives.length;
  return (rankSum - (p * (p + 1)) / 2) / (p * n);
}

/** Average precision: precision at each distinct threshold, weighted by the recall it adds. */
export function averagePrecision(positives: Float32Array, negatives: Float32Array): number {
  const all = [...Array.from(positives, (s) => [s, 1] as const), ...Array.from(negatives, (s) => [s, 0] as const)].sort((a, b) => b[0] - a[0]);
  let truePositives = 0;
  let seen = 0;
  let ap = 0;
  let lastRecall = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]![0] === all[i]![0]) {
      truePositives += all[j]![1];
      j++;
    }
    seen = j;
    const recall = truePositives / positives.length;
    ap += (recall - lastRecall) * (truePositives / seen);
    lastRecall = recall;
    i = j;
  }
  return ap;
}
