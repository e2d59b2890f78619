import { tf } from "../_tf.ts";
import { log } from "../_stable.ts";
import { HALF_LOG_2PI, LOG_2PI } from "../../math/_constants.ts";
import { deriveSeed } from "../../math/rng.ts";
import { stirlingRemainderAtIntegers } from "../_gamma_series.ts";
import { bd0, detached } from "./_families.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";

/** Rates from which the entropy is its asymptotic series. */
const ASYMPTOTIC_FROM = 50;
/** Terms of the entropy's sum below that: k < 160 covers λ + 12√λ + 12 for λ < 50. */
const WINDOW = 160;

/**
 * A batch of Poisson distributions with rate λ, on {0, 1, 2, …}: the
 * float32 twin of the core's `Poisson`.
 *
 * Mathematical details, with c(k) the remainder of Stirling's formula:
 *
 * ```text
 * log p(k) = k log λ − λ − log k!
 *          = −½ log(2πk) − c(k) − bd0(k, λ),   bd0(k, λ) = k log(k/λ) + λ − k ≥ 0   (k ≥ 1)
 * H        = −Σₖ p(k) log p(k)      (summed over k < 160, for λ < 50)
 *          ≈ ½ log(2πeλ) − 1/(12λ) − 1/(24λ²) − 19/(360λ³)      (λ ≥ 50)
 * E[X] = Var[X] = λ
 * ```
 *
 * The second line (Loader 2000) is the one computed: it keeps float32's
 * digits where the first subtracts terms of size k log k. Points are
 * float32 numbers; one that is not an integer ≥ 0 has log-mass −∞ (as in
 * scipy). The entropy is differentiable in λ. Draws are made on the device
 * by the core's methods (inversion below λ = 10, Hörmann's PTRS above)
 * and are not reparameterized: a gradient of E_q[f] in λ needs the
 * score-function estimator.
 *
 * @example
 * ```ts
 * import { Poisson, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const p = new Poisson(3);
 * const [lp, off] = await p.logProb([2, 2.5]).data();
 * assert.ok(Math.abs(lp! - (2 * Math.log(3) - 3 - Math.log(2))) < 1e-6);
 * assert.equal(off, -Infinity);
 * const x = await p.sample(4, 1).data();
 * assert.ok(x.every((k) => Number.isInteger(k) && k >= 0));
 * p.dispose();
 * ```
 */
export class Poisson extends TensorDistributionBase {
  /** The rate λ > 0. */
  readonly rate: tf.Tensor;
  /** log λ. */
  readonly logRate: tf.Tensor;
  /** The shape of `rate`. */
  readonly batchShape: number[];
  /** Always `[]`. */
  readonly eventShape: number[] = [];
  /** Always false: a draw is discrete. */
  readonly reparameterized: boolean = false;

  /**
   * Creates a batch of Poisson distributions.
   *
   * @param rate λ: a tensor, a number or an array (finite, > 0).
   * @throws {TypeError} If `rate` is not a tensor or numbers.
   * @throws {RangeError} If a number is not finite and > 0.
   */
  constructor(rate: TensorInput) {
    super();
    try {
      this.rate = this.param("Cannot construct Poisson", "rate", rate, "positive");
      this.logRate = this.own(log(this.rate));
      this.batchShape = this.rate.shape.slice();
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** log p(x), shape `broadcast(x.shape, batchShape)`; −∞ unless x is an integer ≥ 0. */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const k = this.point("Poisson", x);
      const lp = poissonLogPmf(tf.maximum(k, 1), this.rate, this.logRate);
      const mass = tf.where(tf.greaterEqual(k, 1), lp, tf.broadcastTo(tf.neg(this.rate), lp.shape));
      const f = tf.floor(k), minusInf = tf.fill(lp.shape, -Infinity);
      const integer = tf.where(tf.greaterEqual(f, k), mass, minusInf); // k ≤ ⌊k⌋
      return tf.where(
        tf.greaterEqual(k, 0),
        tf.where(tf.isInf(k), minusInf, integer),
        minusInf,
      );
    });
  }

  /**
   * −Σₖ p(k) log p(k), shape `batchShape`: summed over k < 160 below
   * λ = 50 (what it leaves out is below float32 rounding), its asymptotic
   * series from 50 on (whose error there is 2 × 10⁻⁸).
   */
  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const rate = this.rate;
      const lam = tf.expandDims(tf.minimum(rate, ASYMPTOTIC_FROM), -1), logLam = log(lam);
      const k = tf.range(0, WINDOW, 1, "float32");
      const lp = tf.where(
        tf.greaterEqual(k, 1),
        poissonLogPmf(tf.maximum(k, 1), lam, logLam),
        tf.broadcastTo(tf.neg(lam), [...rate.shape, WINDOW]),
      );
      const window = tf.neg(tf.sum(tf.mul(tf.exp(lp), lp), -1));
      const big = tf.maximum(rate, ASYMPTOTIC_FROM), y = tf.reciprocal(big);
      const series = tf.sub(
        tf.mul(0.5, tf.add(log(big), LOG_2PI + 1)),
        tf.mul(y, tf.add(1 / 12, tf.mul(y, tf.add(1 / 24, tf.mul(y, 19 / 360))))),
      );
      return tf.where(tf.greaterEqual(rate, ASYMPTOTIC_FROM), series, window);
    });
  }

  /** λ. */
  mean(): tf.Tensor {
    return this.rate.clone();
  }

  /** λ. */
  variance(): tf.Tensor {
    return this.rate.clone();
  }

  /**
   * `n` draws, `[n, ...batchShape]`, made on the device: by inversion of
   * the CDF over k < 48 below λ = 10, by Hörmann's (1993) transformed
   * rejection (PTRS, as the core) from 10 on. No gradient flows through
   * them.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed (a safe integer).
   * @returns The draws, as float32 integers.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("Poisson", n, seed);
    const shape = [n, ...this.batchShape];
    return detached([this.rate], (rate) =>
      tf.tidy(() => {
        const lam = tf.broadcastTo(rate!, shape);
        return tf.where(
          tf.less(lam, 10),
          inversion(tf.minimum(lam, 10), deriveSeed(seed, 1)),
          ptrs(tf.maximum(lam, 10), deriveSeed(seed, 2)),
        );
      }));
  }
}

/** −½ log(2πk) − c(k) − bd0(k, λ), Loader's log-mass at k ≥ 1. */
function poissonLogPmf(k: tf.Tensor, rate: tf.Tensor, logRate: tf.Tensor): tf.Tensor {
  return tf.tidy(() =>
    tf.neg(
      tf.add(
        tf.add(tf.mul(0.5, log(k)), HALF_LOG_2PI),
        tf.add(stirlingRemainderAtIntegers(k), bd0(k, rate, logRate)),
      ),
    )
  );
}

/** Counts k < 48 in the inversion: P(X ≥ 48) < 10⁻¹⁷ for λ < 10. */
const INVERSION_TERMS = 48;

/** min{k : F(k) > u F(47)} for λ < 10, with F the CDF over k < 48. */
function inversion(lam: tf.Tensor, seed: number): tf.Tensor {
  const k = tf.range(0, INVERSION_TERMS, 1, "float32");
  const l = tf.expandDims(lam, -1);
  // log p(k) = k log λ − λ − log k!, with log k! summed once.
  const logFactorial = tf.cumsum(log(tf.maximum(k, 1)));
  const pmf = tf.exp(tf.sub(tf.sub(tf.mul(k, log(l)), l), logFactorial));
  const cdf = tf.cumsum(pmf, pmf.rank - 1);
  const total = tf.slice(cdf, [...new Array(lam.rank).fill(0), INVERSION_TERMS - 1], [
    ...lam.shape,
    1,
  ]);
  const u = tf.mul(tf.randomUniform([...lam.shape, 1], 0, 1, "float32", seed), total);
  const below = tf.cast(tf.lessEqual(cdf, u), "float32");
  return tf.minimum(tf.sum(below, -1), INVERSION_TERMS - 1);
}

/** Rounds of PTRS proposals drawn per draw (each accepted with probability > 0.75). */
const PTRS_ROUNDS = 20;

/**
 * Hörmann's PTRS for λ ≥ 10, as the core (and numpy) draw it, with the
 * exact log-mass in its test; all rounds at once, the first accepted kept
 * (all rejected: less than once in 10¹² draws, then ⌊λ⌋).
 */
function ptrs(lam: tf.Tensor, seed: number): tf.Tensor {
  const logLam = log(lam), slam = tf.sqrt(lam);
  const b = tf.add(0.931, tf.mul(2.53, slam)), a = tf.add(-0.059, tf.mul(0.02483, b));
  const logInvAlpha = log(tf.add(1.1239, tf.div(1.1328, tf.sub(b, 3.4))));
  const vr = tf.sub(0.9277, tf.div(3.6224, tf.sub(b, 2)));
  let out = tf.floor(lam);
  for (let r = PTRS_ROUNDS - 1; r >= 0; r--) {
    const u = tf.sub(tf.randomUniform(lam.shape, 0, 1, "float32", deriveSeed(seed, r, 0)), 0.5);
    const v = tf.randomUniform(lam.shape, 0, 1, "float32", deriveSeed(seed, r, 1));
    const us = tf.sub(0.5, tf.abs(u));
    const k = tf.floor(tf.add(tf.mul(tf.add(tf.div(tf.mul(2, a), us), b), u), tf.add(lam, 0.43)));
    const quick = tf.logicalAnd(tf.greaterEqual(us, 0.07), tf.lessEqual(v, vr));
    const lhs = tf.sub(tf.add(log(v), logInvAlpha), log(tf.add(tf.div(a, tf.square(us)), b)));
    const lp = tf.where(
      tf.greaterEqual(k, 1),
      poissonLogPmf(tf.maximum(k, 1), lam, logLam),
      tf.neg(lam),
    );
    const squeezeOut = tf.logicalAnd(tf.less(us, 0.013), tf.greater(v, us));
    const exact = tf.logicalAnd(
      tf.logicalAnd(tf.greaterEqual(k, 0), tf.logicalNot(squeezeOut)),
      tf.lessEqual(lhs, lp),
    );
    out = tf.where(tf.logicalOr(quick, exact), k, out);
  }
  return out;
}
