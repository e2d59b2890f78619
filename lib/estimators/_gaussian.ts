import { DiagNormal } from "../distributions/diag_normal.ts";
import { MultivariateNormal } from "../distributions/multivariate_normal.ts";
import { show } from "../math/_validate.ts";
import { backSubstituteTransposed } from "../math/triangular_solve.ts";
import type { GaussianFamily } from "../targets/latent_model.ts";

/**
 * A Gaussian q = N(μ, L Lᵀ) seen through its unconstrained parameters:
 * loc μ (K values), then the scale parameters — log σ (K values) for a
 * DiagNormal; for a MultivariateNormal the K × K lower triangle of L, flat
 * row-major, with log Lᵢᵢ on the diagonal (zeros above it).
 */
export class GaussianView {
  readonly K: number;
  readonly diag: boolean;
  readonly loc: Float64Array;
  readonly L: Float64Array;
  readonly q: GaussianFamily;
  readonly scaleSize: number;

  constructor(what: string, q: GaussianFamily, K: number, name = "q") {
    if (!(q instanceof DiagNormal) && !(q instanceof MultivariateNormal)) {
      throw new TypeError(
        `${what} as ${name} must be a DiagNormal or MultivariateNormal: current value is ${
          show(q)
        }`,
      );
    }
    if (q.eventSize !== K) {
      throw new TypeError(
        `${what} as ${name} must be of size ${K} (the model's latent size): current size is ${q.eventSize}`,
      );
    }
    this.q = q;
    this.K = K;
    this.diag = q instanceof DiagNormal;
    this.loc = q.loc;
    if (q instanceof DiagNormal) {
      this.L = new Float64Array(K * K);
      for (let i = 0; i < K; i++) this.L[i * K + i] = q.scale[i]!;
    } else this.L = q.scaleTril;
    this.scaleSize = this.diag ? K : K * K;
  }

  /** z = μ + L ε. */
  transform(eps: Float64Array, z: Float64Array): Float64Array {
    return this.q.reparameterize(eps, z);
  }

  /** log q(z) at z = μ + L ε: −(K/2) log 2π − Σ log Lᵢᵢ − ½ ‖ε‖². */
  logProbAtNoise(eps: Float64Array): number {
    let s = 0;
    for (let i = 0; i < this.K; i++) s += Math.log(this.L[i * this.K + i]!) + 0.5 * eps[i]! ** 2;
    return -0.5 * this.K * Math.log(2 * Math.PI) - s;
  }

  /** L⁻ᵀ ε = Σ⁻¹ (z − μ) = −∇_z log q(z). */
  scoreInZ(eps: Float64Array, out: Float64Array): Float64Array {
    return backSubstituteTransposed(this.L, eps, this.K, out);
  }

  /**
   * Adds `weight · (gz ⊗ ∂z/∂φ)` to the scale part of `out` (offset K): the
   * pathwise gradient in the scale parameters of a gradient gz in z, plus
   * `diagExtra · weight` on each log-diagonal entry.
   */
  addPathwise(
    gz: Float64Array,
    eps: Float64Array,
    weight: number,
    diagExtra: number,
    out: Float64Array,
  ): void {
    const K = this.K, L = this.L;
    for (let i = 0; i < K; i++) out[i]! += weight * gz[i]!;
    for (let i = 0; i < K; i++) {
      const d = weight * (gz[i]! * eps[i]! * L[i * K + i]! + diagExtra);
      if (this.diag) out[K + i]! += d;
      else {
        out[K + i * K + i]! += d;
        for (let j = 0; j < i; j++) out[K + i * K + j]! += weight * gz[i]! * eps[j]!;
      }
    }
  }

  /** Builds the Gaussian of the same family from a parameter vector. */
  static fromParams(diag: boolean, K: number, params: Float64Array): GaussianFamily {
    const loc = params.subarray(0, K);
    if (diag) return DiagNormal.fromLogScale(loc, params.subarray(K, 2 * K));
    const L = new Float64Array(K * K);
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < i; j++) L[i * K + j] = params[K + i * K + j]!;
      L[i * K + i] = Math.exp(params[K + i * K + i]!);
    }
    return new MultivariateNormal(loc, L);
  }

  /** The parameter vector of this q. */
  params(): Float64Array {
    const K = this.K, out = new Float64Array(K + this.scaleSize);
    out.set(this.loc);
    for (let i = 0; i < K; i++) {
      if (this.diag) out[K + i] = Math.log(this.L[i * K + i]!);
      else {
        for (let j = 0; j < i; j++) out[K + i * K + j] = this.L[i * K + j]!;
        out[K + i * K + i] = Math.log(this.L[i * K + i]!);
      }
    }
    return out;
  }
}
