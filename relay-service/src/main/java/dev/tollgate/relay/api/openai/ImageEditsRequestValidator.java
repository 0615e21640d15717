package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A read {@link FormUpload} for {@code /v1/images/edits} → {@link InboundRequest} ({@code n} images, no token output
 * to reserve), or a 400 (413 for a file over the model's size) in OpenAI's words. The tree is the form's fields as
 * sent, plus {@value #IMAGE} — an array describing each image in order — and {@value #MASK} when one came (see
 * {@link UploadBody}); the files' bytes are the raw body. Each file's type is read from its first bytes (PNG, JPEG,
 * WebP; a mask PNG only), not from what the client declared: SDKs often send {@code application/octet-stream},
 * which OpenAI refuses, so the sniffed type is what goes upstream. As at OpenAI: the model defaults to
 * {@value ImageGenerationsRequestValidator#DEFAULT_MODEL}, which takes one PNG of at most
 * {@value #DALL_E_2_MAX_BYTES} bytes; GPT Image models take up to {@value #MAX_IMAGES} images (the reader holds
 * each to its size limit). Streamed partial images are not relayed. Pure.
 */
public final class ImageEditsRequestValidator {

    public static final String IMAGE = "image";
    public static final String MASK = "mask";
    /** The form names images may come under: {@code image} (once or repeated) or {@code image[]}. */
    public static final Set<String> IMAGE_PARTS = Set.of(IMAGE, "image[]");
    /** The file parts the endpoint takes. */
    public static final Set<String> FILE_PARTS = Set.of(IMAGE, "image[]", MASK);
    /** OpenAI's limit on images per edit (GPT Image models). */
    public static final int MAX_IMAGES = 16;
    /** OpenAI's limit on each image for GPT Image models. */
    public static final long MAX_IMAGE_BYTES = 50L * 1024 * 1024;
    /** dall-e-2's limit on its one image (and its mask). */
    static final long DALL_E_2_MAX_BYTES = 4L * 1024 * 1024;
    static final Set<String> FORMATS = Set.of("url", "b64_json");
    private static final String PNG = "image/png";

    private ImageEditsRequestValidator() {
    }

    /** @throws Rejection INVALID_REQUEST, or REQUEST_TOO_LARGE for a dall-e-2 file over its size */
    public static InboundRequest validate(FormUpload upload) {
        ObjectNode tree = upload.fields().deepCopy();
        for (String part : FILE_PARTS) {
            if (tree.has(part)) {
                throw Rejection.invalid("Invalid '" + part + "': expected an uploaded file, not a form field.", part);
            }
        }
        List<FormUpload.UploadedFile> images = upload.files(IMAGE_PARTS);
        List<FormUpload.UploadedFile> masks = upload.files(Set.of(MASK));
        if (images.isEmpty()) {
            throw Rejection.invalid("Missing required parameter: 'image'.", IMAGE);
        }
        String prompt = FormUpload.single(tree, "prompt");
        if (prompt == null) {
            throw Rejection.invalid("Missing required parameter: 'prompt'.", "prompt");
        }
        if (prompt.isBlank()) {
            throw Rejection.invalid("Invalid 'prompt': expected a non-empty string.", "prompt");
        }
        String model = FormUpload.single(tree, "model");
        if (model != null && model.isBlank()) {
            throw Rejection.invalid("Invalid 'model': expected a non-empty string.", "model");
        }
        model = model == null ? ImageGenerationsRequestValidator.DEFAULT_MODEL : model;
        int n = images(FormUpload.single(tree, "n"));
        String format = FormUpload.single(tree, "response_format");
        if (format != null && !FORMATS.contains(format)) {
            throw Rejection.invalid("Invalid 'response_format': expected url or b64_json.", "response_format");
        }
        if ("true".equals(FormUpload.single(tree, "stream"))) {
            throw Rejection.invalid("Streamed image edits are not supported here: leave 'stream' unset.", "stream");
        }
        if (masks.size() > 1) {
            throw Rejection.invalid("Invalid 'mask': expected one file.", MASK);
        }
        boolean dallE2 = model.startsWith(ImageGenerationsRequestValidator.DEFAULT_MODEL);
        if (images.size() > (dallE2 ? 1 : MAX_IMAGES)) {
            throw Rejection.invalid("Invalid 'image': " + model + " takes at most " + (dallE2 ? 1 : MAX_IMAGES)
                    + (dallE2 ? " image." : " images."), IMAGE);
        }
        UploadBody body = new UploadBody();
        ArrayNode described = tree.putArray(IMAGE);
        for (FormUpload.UploadedFile image : images) {
            described.add(body.describe(checked(image, IMAGE, dallE2)));
        }
        if (!masks.isEmpty()) {
            tree.set(MASK, body.describe(checked(masks.get(0), MASK, true)));
        }
        return new InboundRequest(tree, body.raw(), model, false, false, 0L, n);
    }

    /** The file with its sniffed type, or a 400 for a type the part does not take (413 over a PNG-only size). */
    private static FormUpload.UploadedFile checked(FormUpload.UploadedFile file, String param, boolean pngOnly) {
        if (file.bytes().length == 0) {
            throw Rejection.invalid("Invalid file '" + param + "': the file is empty.", param);
        }
        String type = imageType(file.bytes());
        if (type == null || pngOnly && !PNG.equals(type)) {
            throw Rejection.invalid("Invalid file '" + param + "': unsupported mimetype ('" + declared(file)
                    + "'). Supported file formats are " + (pngOnly ? "'image/png'." : "'image/jpeg', 'image/png', "
                    + "and 'image/webp'."), param);
        }
        if (pngOnly && file.bytes().length > DALL_E_2_MAX_BYTES) {
            throw Rejection.of(Rejection.Kind.REQUEST_TOO_LARGE, "Maximum content size limit (" + DALL_E_2_MAX_BYTES
                    + ") exceeded: '" + param + "' must be a PNG of at most " + DALL_E_2_MAX_BYTES + " bytes.");
        }
        // A part sent without a file name (as the SDKs send streams) is named by its type: servers read the suffix.
        String name = file.fileName() != null ? file.fileName() : param + "." + type.substring("image/".length());
        return new FormUpload.UploadedFile(file.part(), name, type, file.bytes());
    }

    /** PNG, JPEG or WebP by their signatures; null for anything else. */
    static String imageType(byte[] bytes) {
        if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(bytes, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(bytes, 0, 'R', 'I', 'F', 'F') && startsWith(bytes, 8, 'W', 'E', 'B', 'P')) {
            return "image/webp";
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, int at, int... signature) {
        if (bytes.length < at + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((bytes[at + i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    private static String declared(FormUpload.UploadedFile file) {
        return file.contentType() == null ? "application/octet-stream" : file.contentType();
    }

    private static int images(String n) {
        if (n == null) {
            return 1;
        }
        try {
            int value = Integer.parseInt(n.strip());
            if (value >= 1 && value <= ImageGenerationsRequestValidator.MAX_IMAGES) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Rejection.invalid("Invalid 'n': expected an integer from 1 to "
                + ImageGenerationsRequestValidator.MAX_IMAGES + ".", "n");
    }
}
