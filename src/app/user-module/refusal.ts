/**
 * The error a handler gets when it reaches for something geosim does not model (another AWS
 * service, the network): a message naming the call, instead of a hang or a real request.
 */
export class GeosimRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeosimRefusal';
  }
}

/** Tells the run, then returns the error to throw into the handler. */
export function refuse(onRefusal: (message: string) => void, message: string): GeosimRefusal {
  onRefusal(message);
  return new GeosimRefusal(message);
}
