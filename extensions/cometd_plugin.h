/* cometd-cli extension plugins: the C ABI, version 1.
 *
 * A plugin is a shared library that exports one symbol, cometd_plugin_entry, returning a
 * pointer to a static cometd_plugin_v1. Load it with --ext-plugin PATH[:ARG]; ARG (the text
 * after the first ':') is handed to create().
 *
 * Every payload is a JSON array of Bayeux messages, every header set a JSON object of HTTP
 * headers ({"Authorization":"Bearer …"}), all NUL-terminated UTF-8. Outgoing, the built-in
 * extensions run first, then the plugins in command-line order, then the auth extension;
 * incoming, the reverse. Calls never overlap; authenticate() may block (it runs on a thread
 * of its own while the session waits for it).
 *
 * Build one with: cc -shared -fPIC -o myplugin.so myplugin.c
 */
#ifndef COMETD_PLUGIN_H
#define COMETD_PLUGIN_H

#ifdef __cplusplus
extern "C" {
#endif

#define COMETD_PLUGIN_ABI 1

typedef struct {
    int abi;                       /* COMETD_PLUGIN_ABI */
    const char *name;
    void *(*create)(const char *arg, const char **error);   /* NULL + *error to refuse */
    void (*destroy)(void *self);
    /* payload: a JSON array of Bayeux messages; headers: a JSON object of HTTP headers.
       Return NULL to leave the payload unchanged, or a malloc'd replacement the host frees.
       *new_headers may likewise be set to a malloc'd JSON object. */
    char *(*outgoing)(void *self, const char *payload, const char *headers, char **new_headers);
    char *(*incoming)(void *self, const char *payload, const char *headers, char **new_headers);
    /* NULL for a plain extension. An auth extension: called after an authentication failure;
       return 0 when new credentials are in place (the failed request is then retried). */
    int (*authenticate)(void *self);
} cometd_plugin_v1;

const cometd_plugin_v1 *cometd_plugin_entry(void);

#ifdef __cplusplus
}
#endif

#endif /* COMETD_PLUGIN_H */
