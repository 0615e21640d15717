/**
 * The one internal chat model every dialect translates through when the caller's dialect differs from the
 * upstream's: inbound parsers produce a {@link dev.tollgate.relay.chat.ChatRequest}, provider mappers consume it
 * and produce a {@link dev.tollgate.relay.chat.ChatResponse} or a stream of
 * {@link dev.tollgate.relay.chat.ChatEvent}s, which the inbound writers render in the caller's dialect.
 * Same dialect in and out never comes here: the body passes through with only the model rewritten.
 * No wire type of any provider appears in this package.
 */
package dev.tollgate.relay.chat;
