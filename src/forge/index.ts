export const resolver = () => null; export const inbound = () => null; export const onComment = () => null; export const onIssue = () => null; export const onLifecycle = () => null;
