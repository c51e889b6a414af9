/** The EventBridge bus the outbox publisher puts every event on (`source: 'pendamping'`). */
export const bus = new sst.aws.Bus('Bus')
