export function MachineDetail() { return <h1>MachineDetail</h1>; }
