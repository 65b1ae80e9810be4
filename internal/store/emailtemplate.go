package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/portico/portico/internal/domain"
)

type emailTemplateRow struct {
	Kind      string `gorm:"primaryKey"`
	Locale    string `gorm:"primaryKey"`
	Subject   string
	TextBody  string
	HTMLBody  string `gorm:"column:html_body"`
	UpdatedBy string
	UpdatedAt time.Time
}

func (emailTemplateRow) TableName() string { return "email_templates" }

func toEmailTemplate(r emailTemplateRow) domain.EmailTemplate {
	return domain.EmailTemplate{Kind: domain.EmailKind(r.Kind), Locale: r.Locale, Subject: r.Subject, Text: r.TextBody,
		HTML: r.HTMLBody, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt}
}

// EmailTemplates returns the overrides of kind by locale.
func (d *DB) EmailTemplates(ctx context.Context, kind domain.EmailKind) (map[string]domain.EmailTemplate, error) {
	var rows []emailTemplateRow
	if err := d.conn(ctx).Where("kind = ?", string(kind)).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]domain.EmailTemplate, len(rows))
	for _, r := range rows {
		out[r.Locale] = toEmailTemplate(r)
	}
	return out, nil
}

// PutEmailTemplate stores an override, replacing the one of its kind and
// locale; created tells whether there was none.
func (d *DB) PutEmailTemplate(ctx context.Context, t domain.EmailTemplate) (bool, error) {
	var n int64
	if err := d.conn(ctx).Model(&emailTemplateRow{}).Where("kind = ? AND locale = ?", string(t.Kind), t.Locale).Count(&n).Error; err != nil {
		return false, err
	}
	row := emailTemplateRow{Kind: string(t.Kind), Locale: t.Locale, Subject: t.Subject, TextBody: t.Text, HTMLBody: t.HTML,
		UpdatedBy: t.UpdatedBy, UpdatedAt: t.UpdatedAt}
	err := d.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "kind"}, {Name: "locale"}},
		DoUpdates: clause.AssignmentColumns([]string{"subject", "text_body", "html_body", "updated_by", "updated_at"})}).Create(&row).Error
	return n == 0, err
}

// DeleteEmailTemplate removes an override; not_found when there is none.
func (d *DB) DeleteEmailTemplate(ctx context.Context, kind domain.EmailKind, locale string) error {
	res := d.conn(ctx).Where("kind = ? AND locale = ?", string(kind), locale).Delete(&emailTemplateRow{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return domain.NotFound("email template override", string(kind)+"/"+locale)
	}
	return nil
}
