export { clientForProject, clientOptionsFor, requestBudgetsFor } from './clientFor';
export { remainingTimeOf, remainingTimeOr, type RemainingTimeContext } from './remainingTime';
