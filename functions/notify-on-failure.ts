export async function handler(): Promise<{ scanned: number }> {
  return { scanned: 0 };
}
