// Local AWS stand-ins used by tests; they ship no type declarations.
declare module 'dynalite';
declare module 'kinesalite';
