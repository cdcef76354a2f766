// `ode`: jax.experimental.ode, differential equations solved with adaptive steps and
// differentiated by the adjoint method (ode/odeint.ts).
export { odeint } from "./ode/odeint.js";
