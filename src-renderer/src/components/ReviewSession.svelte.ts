/** The decisions made on the review page since the app opened, newest last: what `u` takes back, kept across page changes. */
export const reviewSession = $state({ made: [] as { decisionId: number; trackId: number; name: string }[] });
