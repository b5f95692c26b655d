package io.faultline.classifier.grouping.fingerprint;

import io.faultline.classifier.grouping.MessageTemplates;

/** A stand-in template miner: every run of digits is a variable part. */
final class DigitMaskingTemplates implements MessageTemplates {

    @Override
    public Template templateOf(String scope, String message) {
        String text = message.replaceAll("\\d+", "<*>");
        return new Template("tpl-" + Integer.toHexString((scope + "\n" + text).hashCode()), text);
    }
}
