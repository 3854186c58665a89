export function Assets() { return <h1>Assets</h1>; }
