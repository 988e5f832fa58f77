// Baseline for the irrelevant-event cold start: the least a Functions Framework CloudEvent
// function can be. It loads the framework and returns.
import * as functions from '@google-cloud/functions-framework';

functions.cloudEvent('bare', () => {});
