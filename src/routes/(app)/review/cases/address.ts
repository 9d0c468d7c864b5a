/** Where the coordinators' case table keeps its filters (as an address query) for a case's way back, per tab. */
export const reviewCasesSearchKey = 'gridwalk:review-cases-search';
