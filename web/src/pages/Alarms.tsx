export function Alarms() { return <h1>Alarms</h1>; }
