export function onRequestError(error: unknown) {
  console.error(error);
}
