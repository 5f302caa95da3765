export async function writeModelCard(_: unknown): Promise<void> {}
