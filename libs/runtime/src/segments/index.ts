export { SegmentTriggerDispatcher, SEGMENT_TRIGGER_TYPE, type SegmentTriggerDispatcherDeps, type SegmentTriggerRef } from './segment-trigger.dispatcher.js';
export { SegmentLoop, segmentLoopOptions, type SegmentLoopDeps, type SegmentLoopOptions } from './segment.loop.js';
