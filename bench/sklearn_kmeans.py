"""Times scikit-learn's one-thread Lloyd k-means and k-means++ on raw float64 data from bench/kmeans.ts."""

import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans, kmeans_plusplus
from threadpoolctl import threadpool_info, threadpool_limits


def main() -> None:
    data_path, init_path, n, d, k, seed = sys.argv[1:7]
    n, d, k, seed = int(n), int(d), int(k), int(seed)
    points = np.fromfile(data_path, dtype=np.float64).reshape(n, d)
    init = np.fromfile(init_path, dtype=np.float64).reshape(k, d)
    with threadpool_limits(1):
        blas = ", ".join(
            f"{p.get('internal_api')} {p.get('architecture', '')}".strip() for p in threadpool_info()
        )
        started = time.perf_counter()
        kmeans_plusplus(points, n_clusters=k, random_state=seed)
        seeding = time.perf_counter() - started
        model = KMeans(
            n_clusters=k, algorithm="lloyd", n_init=1, init=init, max_iter=300, tol=1e-4
        )
        started = time.perf_counter()
        model.fit(points)
        fit = time.perf_counter() - started
    print(
        json.dumps(
            {
                "version": sklearn.__version__,
                "seeding_ms": seeding * 1000,
                "fit_ms": fit * 1000,
                "n_iter": int(model.n_iter_),
                "inertia": float(model.inertia_),
                "blas": blas,
            }
        )
    )


if __name__ == "__main__":
    main()
