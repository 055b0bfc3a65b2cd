/* Dossier: explorer. Plain JavaScript, no network: works from file:// and from a server. */
