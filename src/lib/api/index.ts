export * from './context';
export { answerCommand, NOT_RUNNING } from './router';
export { nodeSummary, type NodeSummary } from './node-summary';
export { SendStateAcks, sendStateRequest, type SendStateWrite } from './send-states';
