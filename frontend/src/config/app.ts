/** The product name shown in the header and in every page title. */
export const productName = 'Regent';
