/** Where the cases list keeps its filters (as an address query) for a case's way back to it, per tab. */
export const casesSearchKey = 'gridwalk:cases-search';
