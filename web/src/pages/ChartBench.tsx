export function ChartBench() { return <h1>ChartBench</h1>; }
