// The tensor layer's KL registration table: every closed-form pair that
// klDivergence finds, registered when this module loads (kl_divergence.ts
// imports it for its effect).
import { Bernoulli } from "../distributions/bernoulli.ts";
import { ContinuousBernoulli } from "../distributions/continuous_bernoulli.ts";
import { Beta } from "../distributions/beta.ts";
import { Categorical } from "../distributions/categorical.ts";
import { OneHotCategorical } from "../distributions/one_hot_categorical.ts";
import { DiagNormal } from "../distributions/diag_normal.ts";
import { Dirichlet } from "../distributions/dirichlet.ts";
import { Exponential } from "../distributions/exponential.ts";
import { Gamma } from "../distributions/gamma.ts";
import { Laplace } from "../distributions/laplace.ts";
import { LogNormal } from "../distributions/log_normal.ts";
import { MultivariateNormal } from "../distributions/multivariate_normal.ts";
import { Normal } from "../distributions/normal.ts";
import { Poisson } from "../distributions/poisson.ts";
import { Uniform } from "../distributions/uniform.ts";
import { klBernoulli } from "./bernoulli_kl.ts";
import { klContinuousBernoulli } from "./continuous_bernoulli_kl.ts";
import { klBeta } from "./beta_kl.ts";
import { categoricalKL, klCategorical } from "./categorical_kl.ts";
import { klDirichlet } from "./dirichlet_kl.ts";
import { klExponential } from "./exponential_kl.ts";
import { klExponentialGamma, klGamma } from "./gamma_kl.ts";
import { klDiagNormal, klMultivariateNormal, klNormal } from "./gaussian_kl.ts";
import { klLaplace } from "./laplace_kl.ts";
import { klLogNormal } from "./log_normal_kl.ts";
import { klPoisson } from "./poisson_kl.ts";
import { registerKL } from "./register_kl.ts";
import { klUniform } from "./uniform_kl.ts";

registerKL(Normal, Normal, klNormal);
registerKL(DiagNormal, DiagNormal, klDiagNormal);
registerKL(MultivariateNormal, MultivariateNormal, klMultivariateNormal);
registerKL(DiagNormal, MultivariateNormal, klMultivariateNormal);
registerKL(MultivariateNormal, DiagNormal, klMultivariateNormal);
registerKL(Bernoulli, Bernoulli, klBernoulli);
registerKL(ContinuousBernoulli, ContinuousBernoulli, klContinuousBernoulli);
registerKL(Exponential, Exponential, klExponential);
registerKL(Gamma, Gamma, klGamma);
registerKL(Exponential, Gamma, klExponentialGamma);
registerKL(Beta, Beta, klBeta);
registerKL(Dirichlet, Dirichlet, klDirichlet);
registerKL(Categorical, Categorical, klCategorical);
// A one-hot categorical is a categorical written as a vector: the same KL.
registerKL(
  OneHotCategorical,
  OneHotCategorical,
  (p, q) => categoricalKL("klDivergence", p, q),
);
registerKL(Laplace, Laplace, klLaplace);
registerKL(Uniform, Uniform, klUniform);
registerKL(Poisson, Poisson, klPoisson);
registerKL(LogNormal, LogNormal, klLogNormal);
