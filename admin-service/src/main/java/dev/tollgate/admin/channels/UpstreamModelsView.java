package dev.tollgate.admin.channels;

import java.util.List;

/** The model ids the channel's upstream lists, in its order. */
public record UpstreamModelsView(List<String> models) {
}
